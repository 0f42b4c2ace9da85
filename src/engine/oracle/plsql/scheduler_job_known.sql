SELECT (SELECT COUNT(*) FROM dba_scheduler_jobs WHERE owner = USER AND job_name = :job_name)
     + (SELECT COUNT(*) FROM dba_scheduler_job_run_details WHERE owner = USER AND job_name = :job_name) AS n
  FROM dual
