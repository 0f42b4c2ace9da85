SELECT job_name, enabled, state
  FROM all_scheduler_jobs
 WHERE owner = :schema
 ORDER BY job_name
