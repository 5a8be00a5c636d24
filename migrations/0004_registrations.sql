-- Registrations the submission API appended (docs/http-api.md), written in the same transaction as
-- the ClientRegistered event: the unique key turns a second registration of the same client into a
-- clean 409 even before the fold has admitted the first. The fold's stele.clients stays the authority
-- on who may submit.
CREATE TABLE stele.registrations (
    client_id    bigint      NOT NULL PRIMARY KEY,
    position     bigint      NOT NULL,
    requested_at timestamptz NOT NULL DEFAULT now()
);
