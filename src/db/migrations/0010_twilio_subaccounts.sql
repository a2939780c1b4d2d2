ALTER TABLE "whatsapp_channels" ADD COLUMN "twilio_account_status" text DEFAULT 'creating' NOT NULL;--> statement-breakpoint
ALTER TABLE "whatsapp_channels" ADD COLUMN "twilio_account_sid" text;--> statement-breakpoint
ALTER TABLE "whatsapp_channels" ADD COLUMN "twilio_auth_token_sealed" text;--> statement-breakpoint
ALTER TABLE "whatsapp_channels" ADD COLUMN "twilio_account_reason" text;--> statement-breakpoint
ALTER TABLE "whatsapp_channels" ADD CONSTRAINT "whatsapp_channels_twilio_account_sid_unique" UNIQUE("twilio_account_sid");--> statement-breakpoint
ALTER TABLE "whatsapp_channels" ADD CONSTRAINT "whatsapp_channels_active_has_credentials" CHECK (("whatsapp_channels"."twilio_account_status" = 'active') = ("whatsapp_channels"."twilio_account_sid" is not null and "whatsapp_channels"."twilio_auth_token_sealed" is not null));