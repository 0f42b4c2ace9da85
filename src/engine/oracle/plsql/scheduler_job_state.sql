SELECT status, error# AS error_code, additional_info
  FROM user_scheduler_job_run_details
 WHERE job_name = :job_name
 ORDER BY log_date DESC
