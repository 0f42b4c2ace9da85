-- Text search parsers and templates local to the schema (PostgreSQL lets
-- only a superuser create them), with a dictionary and a configuration built
-- on them and an index using the configuration; made and cloned by a
-- superuser. Before, the clone refused the whole schema naming them.
CREATE SCHEMA fid_ts_parsers;
SET search_path = fid_ts_parsers;

CREATE TEXT SEARCH PARSER words (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,
    LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
COMMENT ON TEXT SEARCH PARSER words IS 'the default parser under a name of its own';
CREATE TEXT SEARCH TEMPLATE plain_words (INIT = dsimple_init, LEXIZE = dsimple_lexize);
CREATE TEXT SEARCH TEMPLATE lexize_only (LEXIZE = dsimple_lexize);
COMMENT ON TEXT SEARCH TEMPLATE plain_words IS 'simple dictionaries';
CREATE TEXT SEARCH DICTIONARY plain (TEMPLATE = plain_words, stopwords = 'english');
CREATE TEXT SEARCH CONFIGURATION words_cfg (PARSER = words);
ALTER TEXT SEARCH CONFIGURATION words_cfg ADD MAPPING FOR asciiword, word WITH plain;

CREATE TABLE note (id integer PRIMARY KEY, body text);
INSERT INTO note VALUES (1, 'The quick brown fox'), (2, 'jumps over the lazy dog');
CREATE INDEX note_fts ON note USING gin (to_tsvector('fid_ts_parsers.words_cfg', body));
