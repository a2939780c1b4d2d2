CREATE TABLE "whatsapp_channels" (
	"org_id" uuid PRIMARY KEY NOT NULL,
	"consent_terms_version" text NOT NULL,
	"consent_accepted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"consent_accepted_by_key_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "whatsapp_channels" ADD CONSTRAINT "whatsapp_channels_org_id_orgs_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."orgs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_channels" ADD CONSTRAINT "whatsapp_channels_consent_accepted_by_key_id_api_keys_id_fk" FOREIGN KEY ("consent_accepted_by_key_id") REFERENCES "public"."api_keys"("id") ON DELETE no action ON UPDATE no action;