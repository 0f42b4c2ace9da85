SELECT owner, job_name, enabled, state
  FROM dba_scheduler_jobs
 WHERE owner = :schema
 ORDER BY job_name
