CREATE TABLE `doc_checkpoint` (
	`doc_id` text NOT NULL,
	`seq` integer NOT NULL,
	`state` blob NOT NULL,
	`state_vector` blob NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`doc_id`, `seq`)
);
--> statement-breakpoint
CREATE INDEX `doc_checkpoint_created` ON `doc_checkpoint` (`doc_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `doc_update` (
	`doc_id` text NOT NULL,
	`seq` integer NOT NULL,
	`update` blob NOT NULL,
	`client_id` integer,
	`user_id` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`doc_id`, `seq`)
);
