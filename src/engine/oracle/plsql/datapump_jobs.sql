SELECT job_name, state FROM user_datapump_jobs ORDER BY job_name
