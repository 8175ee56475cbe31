CREATE TABLE "audit_checkpoints" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"heads" jsonb NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"hash_alg" text DEFAULT 'sha256' NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash_alg" text DEFAULT 'sha256' NOT NULL;--> statement-breakpoint
-- 登记簿只增不改: the log and its checkpoints refuse UPDATE, DELETE and TRUNCATE, whoever asks (even the owner
-- by mistake). ENABLE ALWAYS: also under session_replication_role = replica. History cannot be changed by a
-- migration either, by design.
CREATE OR REPLACE FUNCTION "jibao_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '登记簿只能追加，拒绝 % / the registration log is append-only: % on % refused', TG_OP, TG_OP, TG_TABLE_NAME
    USING ERRCODE = '42501';
END $$;--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_log"
  FOR EACH STATEMENT EXECUTE FUNCTION "jibao_append_only"();--> statement-breakpoint
ALTER TABLE "audit_log" ENABLE ALWAYS TRIGGER "audit_log_append_only";--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE OR TRUNCATE ON "audit_checkpoints"
  FOR EACH STATEMENT EXECUTE FUNCTION "jibao_append_only"();--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ENABLE ALWAYS TRIGGER "audit_checkpoints_append_only";
