SELECT NVL(MAX(sofar), 0) AS sofar, NVL(MAX(totalwork), 0) AS totalwork, MAX(units) AS units
  FROM v$session_longops
 WHERE opname = :job_name
