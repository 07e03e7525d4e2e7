/*
 * The Databricks SQL family's internal header: the pure functions of
 * warehouse.c (databricks_sql_endpoint and the warehouse data sources) and
 * global_config.c (databricks_sql_global_config), for their unit test
 * (tests/unit/test_sql.c). Prefix: tfp_sql__ (semi-private).
 */
#ifndef TFP_SQL_INTERNAL_H
#define TFP_SQL_INTERNAL_H

#include <stdbool.h>

struct cJSON;

/**
 * A warehouse as the GET answers it, in the resource's shape (changed in
 * place): health, health.failure_reason and odbc_params (objects) become
 * lists of one object when wrap is set (the resource's computed nested
 * attributes; the data source's blocks take objects), and tags without
 * a custom tag are dropped.
 */
void tfp_sql__warehouse_shape(struct cJSON *json, bool wrap);

/** True for a warehouse GET still answers after its delete (DELETING,
 * DELETED): it is gone. */
bool tfp_sql__warehouse_deleted(const struct cJSON *json);

/**
 * The data source id of warehouse id in the legacy data sources list (a
 * bare array of {id, warehouse_id, ...}), borrowed from list; NULL when
 * it is not there.
 */
const char *tfp_sql__data_source_id(const struct cJSON *list, const char *id);

/** {"k": "v", ...} as the API's [{"key": "k", "value": "v"}, ...] (a new
 * array; non-string members are skipped; map may be NULL). */
struct cJSON *tfp_sql__pairs_from_map(const struct cJSON *map);

/** The API's [{"key", "value"}, ...] as a map (a new object): entries
 * without a string key are skipped, a missing value is "", and a later
 * key wins. pairs may be NULL. */
struct cJSON *tfp_sql__map_from_pairs(const struct cJSON *pairs);

#endif
