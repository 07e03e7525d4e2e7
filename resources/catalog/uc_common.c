/*
 * The checks of Unity Catalog arguments that its resources share (see
 * catalog_internal.h): names, storage URLs, IAM role ARNs and enums, and
 * the account API's metastore paths. What
 * the securables do with the workspace is declared in each resource file
 * and done by the declarative REST resources (rest_resource.c).
 */
#include "catalog_internal.h"

#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "diag.h"
#include "path.h"
#include "rest.h"
#include "schema.h"
#include "value.h"

#define UC_NAME_MAX 255

/* --- shared tables -------------------------------------------------------- */

/* clang-format off */
const struct tfp_attr tfp_catalog__po_flag_attrs[] = {
	{ .name = "value", .type = &tfp_type_string, .flags = TFP_COMPUTED,
	  .desc = "ENABLE or DISABLE: what is in effect." },
	{ .name = "inherited_from_type", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "Where it comes from when inherited: METASTORE or "
		  "CATALOG." },
	{ .name = "inherited_from_name", .type = &tfp_type_string,
	  .flags = TFP_COMPUTED,
	  .desc = "The name of the object it is inherited from." },
	TFP_ATTR_END
};
/* clang-format on */

void tfp_catalog__wrap_objects(cJSON *json, const char *const *names)
{
	for (; *names != NULL; names++) {
		cJSON *o = cJSON_DetachItemFromObjectCaseSensitive(json, *names);
		cJSON *list;

		if (o == NULL)
			continue;
		if (!cJSON_IsObject(o)) {
			cJSON_AddItemToObject(json, *names, o);
			continue;
		}
		list = cJSON_AddArrayToObject(json, *names);
		cJSON_AddItemToArray(list, o);
	}
}

/* --- validators ----------------------------------------------------------- */

int tfp_catalog__validate_name(struct tfp_diags *d, const struct tfp_path *path,
			 const struct tfp_value *v)
{
	const char *s = v->u.str;
	size_t n = strlen(s), i;

	if (n == 0 || n > UC_NAME_MAX)
		return tfp_diag_attr_error(
			d, path, "Invalid name",
			"A Unity Catalog name must be 1 to %d characters "
			"long; this one has %zu.",
			UC_NAME_MAX, n);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *what = NULL;

		if (c < 0x20 || c == 0x7f)
			/* Not quoted: a raw control character would garble
			 * the terminal that shows the diagnostic. */
			return tfp_diag_attr_error(
				d, path, "Invalid name",
				"The name has a control character at position "
				"%zu. Unity Catalog names cannot contain "
				"spaces, periods, forward slashes or control "
				"characters.",
				i + 1);
		if (c == ' ')
			what = "a space";
		else if (c == '.')
			what = "a period";
		else if (c == '/')
			what = "a slash";
		if (what != NULL)
			return tfp_diag_attr_error(
				d, path, "Invalid name",
				"\"%s\" has %s at position %zu. Unity Catalog "
				"names cannot contain spaces, periods, "
				"forward slashes or control characters.",
				s, what, i + 1);
	}
	return TFP_OK;
}

int tfp_catalog__validate_url(struct tfp_diags *d, const struct tfp_path *path,
			const struct tfp_value *v)
{
	static const char *const schemes[] = {"s3://", "abfss://", "gs://",
					      "r2://"};
	const char *s = v->u.str;
	size_t i, n;

	for (i = 0; i < TFP_ARRAY_SIZE(schemes); i++) {
		n = strlen(schemes[i]);
		if (strncmp(s, schemes[i], n) != 0)
			continue;
		if (s[n] == '\0' || s[n] == '/')
			break;
		for (; s[n] != '\0'; n++)
			if ((unsigned char)s[n] < 0x20 || s[n] == ' ')
				return tfp_diag_attr_error(
					d, path, "Invalid storage URL",
					"The URL has a space or a control "
					"character at position %zu; "
					"percent-encode it (a space is %%20).",
					n + 1);
		return TFP_OK;
	}
	return tfp_diag_attr_error(
		d, path, "Invalid storage URL",
		"\"%s\" is not a cloud storage URL. Use s3://<bucket>/<path> "
		"(AWS), abfss://<container>@<account>.dfs.core.windows.net/"
		"<path> (Azure), gs://<bucket>/<path> (GCP) or "
		"r2://<bucket>@<account id>.r2.cloudflarestorage.com/<path> "
		"(Cloudflare R2).",
		s);
}

int tfp_catalog__validate_role_arn(struct tfp_diags *d, const struct tfp_path *path,
			     const struct tfp_value *v)
{
	static const char *const partitions[] = {
		"arn:aws:iam::", "arn:aws-cn:iam::", "arn:aws-us-gov:iam::"};
	const char *s = v->u.str, *p = NULL;
	size_t i;

	for (i = 0; i < TFP_ARRAY_SIZE(partitions) && p == NULL; i++)
		if (strncmp(s, partitions[i], strlen(partitions[i])) == 0)
			p = s + strlen(partitions[i]);
	if (p != NULL) {
		for (i = 0; i < 12 && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (i == 12 && strncmp(p + 12, ":role/", 6) == 0 &&
		    p[18] != '\0' && strchr(p + 18, ' ') == NULL)
			return TFP_OK;
	}
	return tfp_diag_attr_error(
		d, path, "Invalid IAM role ARN",
		"\"%s\" is not an IAM role ARN. The form is "
		"arn:aws:iam::<12-digit account ID>:role/<role name>.",
		s);
}

int tfp_catalog__exactly_one_block(struct tfp_diags *d, struct tfp_arena *a,
				   const struct tfp_value *obj,
				   const struct tfp_path *path,
				   const char *const *names, const char *what)
{
	const char *first = NULL, *list = "";
	size_t i;

	for (i = 0; names[i] != NULL; i++) {
		const struct tfp_value *b = tfp_value_get(obj, names[i]);

		list = tfp_arena_printf(a, "%s%s%s", list,
					i == 0		     ? ""
					: names[i + 1] == NULL ? " or "
							       : ", ",
					names[i]);
		if (tfp_value_is_unknown(b))
			return TFP_OK;
		if (!tfp_value_is_known(b) || b->u.coll.n == 0)
			continue;
		if (first != NULL)
			return tfp_diag_attr_error(
				d, tfp_path_attr(a, path, names[i]),
				"Conflicting blocks",
				"%s is one block: %s and %s are both given.",
				what, first, names[i]);
		first = names[i];
	}
	if (first != NULL)
		return TFP_OK;
	if (path == NULL)
		return tfp_diag_error(d, "Missing block",
				      "%s is one block of %s; none is given.",
				      what, list);
	return tfp_diag_attr_error(d, path, "Missing block",
				   "%s is one block of %s; none is given.",
				   what, list);
}

int tfp_catalog__check_enum(struct tfp_diags *d, const struct tfp_path *path,
		      const struct tfp_value *v, const char *what,
		      const char *const *allowed, const char *list)
{
	for (; *allowed != NULL; allowed++)
		if (strcmp(v->u.str, *allowed) == 0)
			return TFP_OK;
	return tfp_diag_attr_error(
		d, path, tfp_arena_printf(d->arena, "Invalid %s", what),
		"%s must be %s, not \"%s\".", what, list, v->u.str);
}

const char *tfp_catalog__account_metastore(struct tfp_call *call,
					   const char *metastore_id)
{
	const char *account = tfp_rest_account_id(tfp_rest_of(call));

	return tfp_arena_printf(
		call->arena, "/api/2.0/accounts/%s/metastores%s%s",
		tfp_rest_escape(call->arena, account ? account : ""),
		metastore_id != NULL ? "/" : "",
		metastore_id != NULL
			? tfp_rest_escape(call->arena, metastore_id)
			: "");
}
