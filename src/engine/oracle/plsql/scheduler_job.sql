BEGIN
  -- dbclone: long work runs as a Scheduler job in the HIGH class so that no
  -- REST request waits for it; dbclone polls its run details
  DBMS_SCHEDULER.CREATE_JOB(
    job_name   => :job_name,
    job_type   => 'PLSQL_BLOCK',
    job_action => :job_action,
    job_class  => 'HIGH',
    enabled    => TRUE);
END;
