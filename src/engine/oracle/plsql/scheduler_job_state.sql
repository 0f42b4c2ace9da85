SELECT status, error# AS error_code, additional_info
  FROM dba_scheduler_job_run_details
 WHERE owner = USER AND job_name = :job_name
 ORDER BY log_date DESC
