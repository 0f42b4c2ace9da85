SELECT TO_CHAR(NVL(SUM(bytes), 0)) AS bytes FROM dba_segments WHERE owner = :schema
