SELECT job_name, state, degree, attached_sessions
  FROM user_datapump_jobs
 WHERE job_name = :job_name
