DECLARE
  c CLOB;
  n INTEGER;
BEGIN
  DBMS_CLOUD.PUT_OBJECT(
    credential_name => :credential_name,
    object_uri      => :log_uri,
    directory_name  => 'DATA_PUMP_DIR',
    file_name       => :log_file);
  -- dbclone: hand back the end of the log so its last line can be checked
  -- (TO_CLOB(bfile) is a SQL function, hence the SELECT)
  SELECT TO_CLOB(BFILENAME('DATA_PUMP_DIR', :log_name)) INTO c FROM dual;
  n := DBMS_LOB.GETLENGTH(c);
  :log_tail := DBMS_LOB.SUBSTR(c, 8000, GREATEST(1, n - 7999));
END;
