DECLARE
  v_version    VARCHAR2(100);
  v_compatible VARCHAR2(100);
BEGIN
  -- dbclone: read first, so that the export's Data Pump version and the APEX
  -- install are known to work before any data moves
  DBMS_UTILITY.DB_VERSION(v_version, v_compatible);
  :version    := v_version;
  :compatible := v_compatible;
  SELECT version_no INTO :apex_version FROM apex_release;
END;
