CREATE TABLE `account_token` (
	`token_digest` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`purpose` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `account_token_user` ON `account_token` (`user_id`,`purpose`,`created_at`);--> statement-breakpoint
ALTER TABLE `user` ADD `email_verified` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Accounts from before e-mail verification existed are trusted as they are, so switching it on locks none of them out.
UPDATE `user` SET `email_verified` = 1;