-- Run once by the postgres image on an empty volume (/docker-entrypoint-initdb.d).
-- One database per service; each service creates and migrates its own schema at start-up.
CREATE DATABASE switchboard_conversation;
CREATE DATABASE switchboard_livechat;
CREATE DATABASE switchboard_outreach;
CREATE DATABASE switchboard_chatwoot;
CREATE DATABASE switchboard_sinch;
