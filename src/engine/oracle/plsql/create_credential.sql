DECLARE
  v_name CONSTANT VARCHAR2(128) := :credential_name;
  n NUMBER;
BEGIN
  -- dbclone: reuse a credential of that name instead of failing with ORA-20022
  SELECT COUNT(*) INTO n FROM user_credentials WHERE credential_name = v_name;
  IF n = 0 THEN
  DBMS_CLOUD.CREATE_CREDENTIAL(
    credential_name => v_name,
    username        => :username,
    password        => :password);
  END IF;
  :existed := n;
END;
