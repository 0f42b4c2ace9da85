DECLARE
  v_app   CONSTANT NUMBER        := :app_id;
  v_split CONSTANT VARCHAR2(1)   := :split;
  v_cred  CONSTANT VARCHAR2(128) := :credential_name;
  v_base  CONSTANT VARCHAR2(1000) := :apex_uri;
  l_workspace VARCHAR2(255);
  l_files     apex_t_export_files;
  l_names     VARCHAR2(32767);

  -- APEX exports are CLOBs; DBMS_CLOUD.PUT_OBJECT stores a BLOB (UTF-8).
  FUNCTION utf8(c CLOB) RETURN BLOB IS
    b BLOB;
    d INTEGER := 1;
    s INTEGER := 1;
    ctx INTEGER := DBMS_LOB.DEFAULT_LANG_CTX;
    w INTEGER;
  BEGIN
    DBMS_LOB.CREATETEMPORARY(b, TRUE);
    DBMS_LOB.CONVERTTOBLOB(b, c, DBMS_LOB.LOBMAXSIZE, d, s, NLS_CHARSET_ID('AL32UTF8'), ctx, w);
    RETURN b;
  END;
BEGIN
  -- dbclone: one request is one session, so the workspace is set in this block
  SELECT workspace INTO l_workspace FROM apex_applications WHERE application_id = v_app;
  APEX_UTIL.SET_WORKSPACE(p_workspace => l_workspace);
  l_files := APEX_EXPORT.GET_APPLICATION(
               p_application_id => v_app,
               p_split          => v_split = 'Y');
  FOR i IN 1 .. l_files.COUNT LOOP
    DBMS_CLOUD.PUT_OBJECT(
      credential_name => v_cred,
      object_uri      => v_base || l_files(i).name,
      contents        => utf8(l_files(i).contents));
    l_names := l_names || l_files(i).name || CHR(10);
  END LOOP;
  :workspace  := l_workspace;
  :file_names := RTRIM(l_names, CHR(10));
END;
