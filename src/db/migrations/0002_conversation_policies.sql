CREATE TABLE "channel_settings" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"chat_close_limit_seconds" integer DEFAULT 86400 NOT NULL,
	"idle_close_seconds" integer DEFAULT 86400 NOT NULL,
	"closing_notice" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "queued_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "chat_close_limit_seconds" integer;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "idle_close_seconds" integer;--> statement-breakpoint
ALTER TABLE "channel_settings" ADD CONSTRAINT "channel_settings_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "conversations_queue_idx" ON "conversations" USING btree ("department_id","queued_at") WHERE "conversations"."status" = 'waiting';