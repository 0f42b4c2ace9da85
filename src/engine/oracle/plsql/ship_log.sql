BEGIN
  DBMS_CLOUD.PUT_OBJECT(
    credential_name => :credential_name,
    object_uri      => :log_uri,
    directory_name  => 'DATA_PUMP_DIR',
    file_name       => :log_file);
END;
