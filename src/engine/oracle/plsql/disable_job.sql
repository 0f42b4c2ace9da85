BEGIN
  -- dbclone: one job per request, so that each failure is reported; force
  -- lets a running job be disabled too (its current run finishes; copied
  -- prod jobs start as soon as the import creates them)
  DBMS_SCHEDULER.DISABLE(name => :job_name, force => TRUE);
END;
