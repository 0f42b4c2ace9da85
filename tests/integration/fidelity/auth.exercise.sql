-- Run against a clone: defaults and CHECKs call the copy's functions, the
-- security-definer function writes the copy's audit log, RLS policies
-- filter with the copy's uid().
SELECT set_config('request.jwt.claim.sub', '00000000-0000-0000-0000-000000000001', false);
SELECT set_config('request.jwt.claim.role', 'authenticated', false);
INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000003', 'cy@example.org');
SELECT log_login('00000000-0000-0000-0000-000000000001');
INSERT INTO sessions (user_id, factor) VALUES ('00000000-0000-0000-0000-000000000001', 'phone');
DO $$ BEGIN
    IF (SELECT count(*) FROM audit_log_entries) <> 1 THEN
        RAISE EXCEPTION 'log_login wrote elsewhere';
    END IF;
    IF (SELECT role FROM users WHERE id = '00000000-0000-0000-0000-000000000003') <> 'authenticated' THEN
        RAISE EXCEPTION 'default role() of the copy not called';
    END IF;
    IF session_count('00000000-0000-0000-0000-000000000001') <> 2 THEN
        RAISE EXCEPTION 'session_count reads another schema';
    END IF;
    BEGIN
        INSERT INTO users (id, email) VALUES ('00000000-0000-0000-0000-000000000004', 'not an address');
        RAISE EXCEPTION 'email CHECK missing';
    EXCEPTION WHEN check_violation THEN NULL;
    END;
END $$;
