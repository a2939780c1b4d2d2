CREATE TABLE "business_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"org_id" uuid NOT NULL,
	"business_manager_id" text NOT NULL,
	"product" text NOT NULL,
	"verified" boolean NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "business_accounts_org_bm_product" UNIQUE("org_id","business_manager_id","product")
);
--> statement-breakpoint
CREATE TABLE "onboarding_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"event" text NOT NULL,
	"note" text,
	"idempotency_key" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "onboarding_events_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "onboarding_requests" (
	"id" uuid PRIMARY KEY NOT NULL,
	"org_id" uuid NOT NULL,
	"method" text NOT NULL,
	"business_manager_id" text NOT NULL,
	"business_account_id" uuid,
	"form" jsonb,
	"status" text NOT NULL,
	"reason" text,
	"desk_reference" text,
	"reminders_sent" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "phone_numbers" DROP CONSTRAINT "phone_numbers_e164_unique";--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "subscription_state" text;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "monthly_price_cents" integer;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "provisioning_step" text;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "sender_sid" text;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "status_reason" text;--> statement-breakpoint
ALTER TABLE "phone_numbers" ADD COLUMN "released_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "business_accounts" ADD CONSTRAINT "business_accounts_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_events" ADD CONSTRAINT "onboarding_events_request_id_onboarding_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."onboarding_requests"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_requests" ADD CONSTRAINT "onboarding_requests_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "onboarding_requests" ADD CONSTRAINT "onboarding_requests_business_account_id_business_accounts_id_fk" FOREIGN KEY ("business_account_id") REFERENCES "public"."business_accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "onboarding_events_request_idx" ON "onboarding_events" USING btree ("request_id","at");--> statement-breakpoint
CREATE INDEX "onboarding_requests_org_idx" ON "onboarding_requests" USING btree ("org_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "phone_numbers_e164_live" ON "phone_numbers" USING btree ("e164") WHERE status in ('pending', 'active');