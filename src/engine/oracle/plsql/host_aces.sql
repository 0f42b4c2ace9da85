SELECT host, lower_port, upper_port, privilege
  FROM dba_host_aces
 WHERE principal = :schema
 ORDER BY host, privilege
