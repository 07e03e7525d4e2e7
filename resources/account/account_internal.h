/*
 * What the account family's files share: the AWS policy data sources
 * (aws_policy_common.c), which compute IAM policy documents from their
 * arguments alone and make no request, and the account API's declarative
 * resources (mws_common.c).
 *
 * The documents are cJSON trees rendered by tfp_account__policy_text in
 * the layout the official provider's output has (Go's json.MarshalIndent
 * with two spaces), so the `json` attribute is the same string, byte for
 * byte, as the official provider's for the same arguments.
 */
#ifndef TFP_ACCOUNT_INTERNAL_H
#define TFP_ACCOUNT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "common.h"

struct tfp_arena;
struct tfp_call;
struct tfp_diags;
struct tfp_path;
struct tfp_value;

/** The Databricks accounts and roles of one AWS partition. */
struct tfp_account_partition {
	const char *name;     /* the aws_partition value */
	const char *ns;	      /* the partition in ARNs ("aws-us-gov") */
	const char *account;  /* Databricks' AWS account */
	const char *log_role; /* the billable usage delivery role */
	const char *uc_role;  /* the Unity Catalog master role */
};

/** The partition named name, or NULL for a name that is not one. */
const struct tfp_account_partition *tfp_account__partition(const char *name);

/** tfp_validate_fn for aws_partition: "aws", "aws-us-gov", "aws-us-gov-dod". */
int tfp_account__validate_partition(struct tfp_diags *d,
				    const struct tfp_path *path,
				    const struct tfp_value *v);

/** tfp_validate_fn for an S3 bucket name (3-63 of a-z 0-9 . -, starting
 * and ending with a letter or digit). */
int tfp_account__validate_bucket(struct tfp_diags *d,
				 const struct tfp_path *path,
				 const struct tfp_value *v);

/**
 * Runs validate on config's attribute name when it is known, with the
 * attribute's path: read repeats the schema's checks because a value
 * unknown at validation arrives unchecked.
 */
int tfp_account__recheck(struct tfp_call *call, const struct tfp_value *config,
			 const char *name,
			 int (*validate)(struct tfp_diags *,
					 const struct tfp_path *,
					 const struct tfp_value *));

/** A new {"Version": "2012-10-17", "Statement": []}. */
cJSON *tfp_account__policy_new(void);

/**
 * Appends an "Allow" statement to policy's Statement list, with Sid when
 * sid is not NULL, and returns it. Keys go in
 * the order the official documents have: Sid, Effect, Action, NotAction,
 * Resource, NotResource, Principal, Condition, so callers add them in
 * that order. (cJSON allocates with tfp_xmalloc, which never fails.)
 */
cJSON *tfp_account__statement(cJSON *policy, const char *sid);

/** Adds key: [v[0], ..., v[n-1]] to obj. */
void tfp_account__add_list(cJSON *obj, const char *key, const char *const *v,
			   size_t n);

/**
 * Adds Condition[op][key] = value to a statement. The official documents
 * come from Go maps, whose keys are printed sorted: callers add operators
 * and keys in byte order.
 */
void tfp_account__add_condition(cJSON *stmt, const char *op, const char *key,
				const char *value);

/**
 * The text of doc in the official layout (see the header comment), in a.
 * Only objects, arrays and strings occur in a policy and are printed.
 */
char *tfp_account__policy_text(struct tfp_arena *a, const cJSON *doc);

/**
 * Finishes a policy data source's read: deletes doc, and sets "json" to
 * its text and "id" to id in a copy of config, returned in *out.
 */
int tfp_account__finish(struct tfp_value **out, struct tfp_call *call,
			const struct tfp_value *config, cJSON *doc,
			const char *id);

/**
 * tfp_rres body hook of the account API's resources: drops account_id,
 * which the request's path names and the service fills in.
 */
int tfp_account__body_without_account(cJSON *body, struct tfp_call *call,
				      const struct tfp_value *prior,
				      const struct tfp_value *plan);

/**
 * Moves member name of obj into the chain of objects path (NULL-ended),
 * made as needed: {"role_arn": x} becomes {"aws_credentials": {"sts_role":
 * {"role_arn": x}}}. Nothing happens when obj has no such member.
 */
void tfp_account__nest(cJSON *obj, const char *name, const char *const *path);

/** The reverse of tfp_account__nest: name, found at path, comes up to obj. */
void tfp_account__flatten(cJSON *obj, const char *name,
			  const char *const *path);

/**
 * The arguments of a type that is either AWS (top-level arguments aws,
 * NULL-ended, the first nrequired of them required) or GCP (the block
 * gcp_block): an AWS argument beside the block conflicts, a required one
 * missing without it is named. what names the object ("network").
 */
int tfp_account__cloud_args(struct tfp_call *call,
			    const struct tfp_value *config, const char *gcp_block,
			    const char *const *aws, size_t nrequired,
			    const char *what);

/**
 * databricks_mws_workspaces' workspace_url, which the API does not return:
 * the account host with its first label replaced by deployment, scheme
 * and port kept (https://accounts.cloud.databricks.com ->
 * https://<deployment>.cloud.databricks.com; the emulator's
 * http://accounts.localhost:<port> -> http://<deployment>.localhost:<port>);
 * https://<deployment>.cloud.databricks.com for a host without a label to
 * replace (an IP address, a single label, no scheme). In a.
 */
const char *tfp_account__workspace_url(struct tfp_arena *a, const char *host,
				       const char *deployment);

#endif
