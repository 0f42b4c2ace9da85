DECLARE
  v_name CONSTANT VARCHAR2(128) := :credential_name;
  n NUMBER;
BEGIN
  -- dbclone: an existing credential of that name gets the current user and
  -- token (a stale token would fail the export much later); its enabled
  -- flag is handed back and checked
  SELECT COUNT(*) INTO n FROM user_credentials WHERE credential_name = v_name;
  IF n = 0 THEN
  DBMS_CLOUD.CREATE_CREDENTIAL(
    credential_name => v_name,
    username        => :username,
    password        => :password);
  ELSE
    DBMS_CLOUD.UPDATE_CREDENTIAL(credential_name => v_name, attribute => 'USERNAME', value => :username);
    DBMS_CLOUD.UPDATE_CREDENTIAL(credential_name => v_name, attribute => 'PASSWORD', value => :password);
  END IF;
  :existed := n;
  SELECT enabled INTO :enabled FROM user_credentials WHERE credential_name = v_name;
END;
