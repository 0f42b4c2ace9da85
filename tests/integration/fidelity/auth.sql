-- A hosted auth service's shape: security-definer functions with their own
-- search_path, functions reading request settings, column defaults and
-- CHECKs calling the schema's functions, row-level security with policies
-- calling them, comments on every kind of object, an enum of factor types.
CREATE SCHEMA fid_auth;
SET search_path = fid_auth;
COMMENT ON SCHEMA fid_auth IS 'Auth: stores users and sessions';

CREATE TYPE factor_type AS ENUM ('totp', 'webauthn', 'phone');
COMMENT ON TYPE factor_type IS 'kinds of second factor';

CREATE FUNCTION uid() RETURNS uuid LANGUAGE sql STABLE
    AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
COMMENT ON FUNCTION uid() IS 'the user id of the request';
CREATE FUNCTION role() RETURNS text LANGUAGE sql STABLE
    AS $$ SELECT coalesce(nullif(current_setting('request.jwt.claim.role', true), ''), 'anon') $$;
CREATE FUNCTION is_email(t text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT t ~ '^[^@\s]+@[^@\s]+$' $$;
CREATE FUNCTION new_token() RETURNS text LANGUAGE sql VOLATILE
    SET search_path = fid_auth, pg_temp
    AS $$ SELECT md5(random()::text || clock_timestamp()::text) $$;

CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text CONSTRAINT users_email_valid CHECK (fid_auth.is_email(email)),
    role text NOT NULL DEFAULT fid_auth.role(),
    confirmation_token text DEFAULT new_token(),
    is_super_admin boolean,
    raw_meta jsonb DEFAULT '{}'::jsonb
);
COMMENT ON TABLE users IS 'Auth: the users';
COMMENT ON COLUMN users.email IS 'login name';
COMMENT ON CONSTRAINT users_email_valid ON users IS 'an address';
CREATE UNIQUE INDEX users_email_key ON users (lower(email)) WHERE email IS NOT NULL;
COMMENT ON INDEX users_email_key IS 'one account per address';

CREATE TABLE sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT '2024-01-01 00:00:00+00',
    factor factor_type
);
COMMENT ON COLUMN sessions.factor IS 'the second factor used';
CREATE TABLE audit_log_entries (id serial PRIMARY KEY, payload json, actor uuid);
COMMENT ON SEQUENCE audit_log_entries_id_seq IS 'audit ids';

INSERT INTO users (id, email, role, confirmation_token) VALUES
    ('00000000-0000-0000-0000-000000000001', 'ann@example.org', 'authenticated', 'tok1'),
    ('00000000-0000-0000-0000-000000000002', 'bob@example.org', 'authenticated', 'tok2');
INSERT INTO sessions (user_id, factor) VALUES ('00000000-0000-0000-0000-000000000001', 'totp'),
    ('00000000-0000-0000-0000-000000000002', NULL);

-- A security-definer function with its own search_path, writing the audit log.
CREATE FUNCTION log_login(p_user uuid) RETURNS integer LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = fid_auth, pg_temp
    AS $$
DECLARE n integer;
BEGIN
    INSERT INTO audit_log_entries (payload, actor) VALUES (json_build_object('action', 'login'), p_user)
    RETURNING id INTO n;
    RETURN n;
END $$;
COMMENT ON FUNCTION log_login(uuid) IS 'records a login';
-- set_config of the search path inside a body.
CREATE FUNCTION session_count(p_user uuid) RETURNS bigint LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM set_config('search_path', 'fid_auth, pg_catalog', true);
    RETURN (SELECT count(*) FROM sessions WHERE user_id = p_user);
END $$;

-- Row-level security: a user sees their own rows; policies call the schema's functions.
-- (Not FORCE ROW LEVEL SECURITY: that would hide rows from the owner, the
-- role that copies them; the copy stops with the server's SQLSTATE 42501.)
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY sessions_own ON sessions FOR SELECT USING (user_id = fid_auth.uid());
CREATE POLICY sessions_insert ON sessions AS RESTRICTIVE FOR INSERT WITH CHECK (user_id = uid() AND role() <> 'anon');
CREATE POLICY sessions_all ON sessions FOR ALL USING (role() = 'service_role');
COMMENT ON POLICY sessions_own ON sessions IS 'own sessions only';
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users USING (id = uid()) WITH CHECK (id = uid());
