BEGIN
  -- dbclone: one job per request, so that each failure is reported; force
  -- stops a running instance (copied prod jobs start as soon as they exist)
  DBMS_SCHEDULER.DISABLE(name => :job_name, force => TRUE);
END;
