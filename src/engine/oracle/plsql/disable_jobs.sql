DECLARE
  v_owner CONSTANT VARCHAR2(128) := :schema;
  n PLS_INTEGER := 0;
BEGIN
  -- dbclone: all_scheduler_jobs filtered by owner, because this block runs as
  -- ADMIN (user_scheduler_jobs would list ADMIN's jobs); names are quoted
  FOR j IN (SELECT owner, job_name FROM all_scheduler_jobs WHERE owner = v_owner AND enabled='TRUE') LOOP
    DBMS_SCHEDULER.DISABLE('"'||j.owner||'"."'||j.job_name||'"');
    n := n + 1;
  END LOOP;
  :disabled := n;
END;
