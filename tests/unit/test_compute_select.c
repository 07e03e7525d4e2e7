/*
 * Unit tests of the runtime-version and node-type selection
 * (resources/compute_select.h) against fixture catalogues shaped like a
 * real AWS workspace's clusters/spark-versions and
 * clusters/list-node-types replies: filters, ties, deprecated, hidden and
 * unavailable node types, the no-match errors and malformed input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <string.h>
#include "arena.h"
#include "compute/compute_internal.h"
#include "diag.h"

/* --- fixtures ------------------------------------------------------------- */

static const char spark_versions[] =
	"{\"versions\": ["
	"{\"key\": \"9.1.x-scala2.12\", \"name\": \"9.1 LTS (includes "
	"Apache Spark 3.1.2, Scala 2.12)\"},"
	"{\"key\": \"7.3.x-esr-scala2.12\", \"name\": \"7.3 ESR (includes "
	"Apache Spark 3.0.1, Scala 2.12)\"},"
	"{\"key\": \"7.3.x-hls-scala2.12\", \"name\": \"7.3 Genomics "
	"(includes Apache Spark 3.0.1, Scala 2.12)\"},"
	"{\"key\": \"13.3.x-aarch64-scala2.12\", \"name\": \"13.3 LTS "
	"aarch64 (includes Apache Spark 3.4.1, Scala 2.12)\"},"
	"{\"key\": \"14.3.x-photon-scala2.12\", \"name\": \"14.3 LTS Photon "
	"(includes Apache Spark 3.5.0, Scala 2.12)\"},"
	"{\"key\": \"15.4.x-scala2.12\", \"name\": \"15.4 LTS (includes "
	"Apache Spark 3.5.0, Scala 2.12)\"},"
	"{\"key\": \"15.4.x-cpu-ml-scala2.12\", \"name\": \"15.4 LTS ML "
	"(includes Apache Spark 3.5.0, Scala 2.12)\"},"
	"{\"key\": \"15.4.x-gpu-ml-scala2.12\", \"name\": \"15.4 LTS ML "
	"(includes Apache Spark 3.5.0, GPU, Scala 2.12)\"},"
	"{\"key\": \"16.4.x-scala2.13\", \"name\": \"16.4 LTS (includes "
	"Apache Spark 3.5.2, Scala 2.13)\"},"
	"{\"key\": \"16.4.x-scala2.12\", \"name\": \"16.4 LTS (includes "
	"Apache Spark 3.5.2, Scala 2.12)\"},"
	"{\"key\": \"16.4.x-cpu-ml-scala2.12\", \"name\": \"16.4 LTS ML "
	"(includes Apache Spark 3.5.2, Scala 2.12)\"},"
	"{\"key\": \"17.0.x-scala2.13\", \"name\": \"17.0 (includes Apache "
	"Spark 4.0.0, Scala 2.13)\"},"
	"{\"key\": \"17.1.x-scala2.13\", \"name\": \"17.1 Beta (includes "
	"Apache Spark 4.0.0, Scala 2.13)\"},"
	"{\"key\": \"apache-spark-3.5.x-scala2.12\", \"name\": \"Apache Spark "
	"3.5 (Scala 2.12)\"},"
	"{\"key\": \"custom-scala2.12-image\", \"name\": \"Custom\"}"
	"]}";

static const char node_types[] =
	"{\"node_types\": ["
	/* Smallest of all, but hidden. */
	"{\"node_type_id\": \"t3.small\", \"instance_type_id\": \"t3.small\","
	" \"num_cores\": 1, \"memory_mb\": 2048, \"is_hidden\": true,"
	" \"category\": \"General Purpose\"},"
	/* Small, but not offered in this region. */
	"{\"node_type_id\": \"c5.medium\", \"instance_type_id\": \"c5.medium\","
	" \"num_cores\": 1, \"memory_mb\": 2048, \"category\": \"Compute "
	"Optimized\", \"node_info\": {\"status\": [\"NotAvailableInRegion\"]}},"
	/* Small, but deprecated: sorted after every current type. */
	"{\"node_type_id\": \"m3.medium\", \"instance_type_id\": \"m3.medium\","
	" \"num_cores\": 1, \"memory_mb\": 3840, \"is_deprecated\": true,"
	" \"category\": \"General Purpose\"},"
	/* Three of one size: m5.large and m5a.large tie up to the instance
	 * type id; m5d.large has a local disk. */
	"{\"node_type_id\": \"m5d.large\", \"instance_type_id\": \"m5d.large\","
	" \"num_cores\": 2, \"memory_mb\": 8192, \"category\": \"General "
	"Purpose\", \"node_instance_type\": {\"local_disks\": 1,"
	" \"local_disk_size_gb\": 75}},"
	"{\"node_type_id\": \"m5a.large\", \"instance_type_id\": \"m5a.large\","
	" \"num_cores\": 2, \"memory_mb\": 8192, \"category\": \"General "
	"Purpose\", \"node_instance_type\": {\"local_disks\": 0}},"
	"{\"node_type_id\": \"m5.large\", \"instance_type_id\": \"m5.large\","
	" \"num_cores\": 2, \"memory_mb\": 8192, \"category\": \"General "
	"Purpose\", \"node_instance_type\": {\"local_disks\": 0}},"
	"{\"node_type_id\": \"m6gd.large\", \"instance_type_id\": "
	"\"m6gd.large\", \"num_cores\": 2, \"memory_mb\": 8192, "
	"\"is_graviton\":"
	" true, \"category\": \"General Purpose\", \"node_instance_type\": "
	"{\"local_disks\": 1, \"local_disk_size_gb\": 118}},"
	"{\"node_type_id\": \"r5d.xlarge\", \"instance_type_id\": "
	"\"r5d.xlarge\", \"num_cores\": 4, \"memory_mb\": 32768, \"category\":"
	" \"Memory Optimized\", \"node_instance_type\": {\"local_disks\": 1,"
	" \"local_disk_size_gb\": 150}},"
	"{\"node_type_id\": \"i3.xlarge\", \"instance_type_id\": \"i3.xlarge\","
	" \"num_cores\": 4, \"memory_mb\": 31232, \"category\": \"Storage "
	"Optimized\", \"is_io_cache_enabled\": true, \"node_instance_type\": "
	"{\"local_disks\": 1, \"local_disk_size_gb\": 950}},"
	"{\"node_type_id\": \"g4dn.xlarge\", \"instance_type_id\": "
	"\"g4dn.xlarge\", \"num_cores\": 4, \"memory_mb\": 16384, \"num_gpus\":"
	" 1, \"category\": \"GPU Accelerated\", \"node_instance_type\": "
	"{\"local_disks\": 1, \"local_disk_size_gb\": 125}},"
	"{\"node_type_id\": \"md-fleet.xlarge\", \"instance_type_id\": "
	"\"md-fleet.xlarge\", \"num_cores\": 4, \"memory_mb\": 16384,"
	" \"category\": \"General Purpose\", \"node_instance_type\": "
	"{\"local_nvme_disks\": 1, \"local_nvme_disk_size_gb\": 150}},"
	"{\"node_type_id\": \"m5d.2xlarge\", \"instance_type_id\": "
	"\"m5d.2xlarge\", \"num_cores\": 8, \"memory_mb\": 32768, \"category\":"
	" \"General Purpose\", \"photon_driver_capable\": true,"
	" \"photon_worker_capable\": true, \"support_port_forwarding\": true,"
	" \"node_instance_type\": {\"local_disks\": 1, \"local_disk_size_gb\":"
	" 300}},"
	/* Describes no instance: passes the disk filters, as in the SDK. */
	"{\"node_type_id\": \"x1.nodisk\", \"instance_type_id\": \"x1.nodisk\","
	" \"num_cores\": 16, \"memory_mb\": 65536, \"category\": \"General "
	"Purpose\"}"
	"]}";

struct fixture {
	struct tfp_arena *a;
	struct tfp_diags d;
	cJSON *versions, *nodes;
};

static int setup(void **state)
{
	struct fixture *f = test_malloc(sizeof(*f));

	f->a = tfp_arena_new();
	tfp_diags_init(&f->d, f->a);
	f->versions = cJSON_Parse(spark_versions);
	f->nodes = cJSON_Parse(node_types);
	assert_non_null(f->versions);
	assert_non_null(f->nodes);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cJSON_Delete(f->versions);
	cJSON_Delete(f->nodes);
	tfp_arena_free(f->a);
	test_free(f);
	return 0;
}

static bool diags_mention(const struct tfp_diags *d, const char *text)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->items[i].detail, text) != NULL ||
		    strstr(d->items[i].summary, text) != NULL)
			return true;
	return false;
}

/* The key req selects from the fixture, or NULL with a diagnostic. */
static const char *sv(struct fixture *f, struct tfp_spark_version_req req)
{
	const char *out = NULL;
	int error;

	if (req.scala == NULL)
		req.scala = "2.1";
	error = tfp_compute__select_spark_version(&out, &f->d, f->a,
						  f->versions, &req);
	if (error < 0) {
		assert_int_equal(error, TFP_ERROR);
		assert_true(tfp_diags_has_error(&f->d));
		return NULL;
	}
	assert_int_equal(f->d.n, 0);
	return out;
}

static const char *nt(struct fixture *f, struct tfp_node_type_req req)
{
	const char *out = NULL;
	int error;

	error = tfp_compute__select_node_type(&out, &f->d, f->a, f->nodes,
					      &req);
	if (error < 0) {
		assert_int_equal(error, TFP_ERROR);
		assert_true(tfp_diags_has_error(&f->d));
		return NULL;
	}
	assert_int_equal(f->d.n, 0);
	return out;
}

/* --- runtime versions ----------------------------------------------------- */

static void test_compute_select__spark_version_filters(void **state)
{
	struct fixture *f = *state;
	static const struct {
		struct tfp_spark_version_req req;
		const char *want;
	} rows[] = {
		/* The newest plain runtime; 17.1 is Beta. */
		{{.latest = true}, "17.0.x-scala2.13"},
		{{.latest = true, .beta = true}, "17.1.x-scala2.13"},
		/* 16.4 beats 9.1: versions compare as numbers. 16.4 comes in
		 * both Scala versions among other matches: key order puts
		 * 2.12 first. */
		{{.latest = true, .long_term_support = true},
		 "16.4.x-scala2.12"},
		{{.latest = true, .scala = "2.13"}, "17.0.x-scala2.13"},
		{{.latest = true, .scala = "2.12"}, "16.4.x-scala2.12"},
		{{.latest = true, .ml = true}, "16.4.x-cpu-ml-scala2.12"},
		{{.latest = true, .ml = true, .gpu = true},
		 "15.4.x-gpu-ml-scala2.12"},
		{{.latest = true, .genomics = true}, "7.3.x-hls-scala2.12"},
		{{.latest = true, .photon = true}, "14.3.x-photon-scala2.12"},
		{{.latest = true, .graviton = true},
		 "13.3.x-aarch64-scala2.12"},
		{{.latest = true, .spark_version = "3.5.0"},
		 "15.4.x-scala2.12"},
		{{.latest = true, .spark_version = "3"}, "16.4.x-scala2.12"},
		/* ESR counts as long-term support. */
		{{.latest = true,
		  .long_term_support = true,
		  .spark_version = "3.0"},
		 "7.3.x-esr-scala2.12"},
		/* One match needs no latest. */
		{{.latest = false, .ml = true, .gpu = true},
		 "15.4.x-gpu-ml-scala2.12"},
		/* Two matches that differ only in Scala: 2.12, even without
		 * latest. */
		{{.latest = false, .spark_version = "3.5.2"},
		 "16.4.x-scala2.12"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *got = sv(f, rows[i].req);

		if (got == NULL || strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu: got %s, want %s", i,
				 got ? got : "an error", rows[i].want);
	}
}

static void test_compute_select__spark_version_no_match(void **state)
{
	struct fixture *f = *state;
	const struct tfp_spark_version_req req = {
		.latest = true, .genomics = true, .gpu = true};

	assert_null(sv(f, req));
	assert_true(
		diags_mention(&f->d, "No Databricks Runtime version matches"));
	/* The count (keyed entries, apache-spark included) and every
	 * filter value. */
	assert_true(diags_mention(&f->d, "None of the 15 runtime versions"));
	assert_true(diags_mention(&f->d, "genomics = true"));
	assert_true(diags_mention(&f->d, "gpu = true"));
	assert_true(diags_mention(&f->d, "scala = \"2.1\""));
	assert_true(diags_mention(&f->d, "ml = false"));
}

static void test_compute_select__spark_version_several(void **state)
{
	struct fixture *f = *state;
	const struct tfp_spark_version_req req = {.latest = false,
						  .long_term_support = true};

	assert_null(sv(f, req));
	assert_true(diags_mention(&f->d,
				  "Several Databricks Runtime versions match"));
	/* 9.1, 7.3-esr, 15.4 and 16.4 twice; newest first. */
	assert_true(diags_mention(&f->d, "5 of the 15 runtime versions"));
	assert_true(diags_mention(&f->d, "16.4.x-scala2.12, 16.4.x-scala2.13, "
					 "15.4.x-scala2.12, 9.1.x-scala2.12, "
					 "7.3.x-esr-scala2.12"));
	assert_true(diags_mention(&f->d, "latest = false"));
	assert_true(diags_mention(&f->d, "long_term_support = true"));
}

/* A catalogue of keys without versions sorts them after real ones. */
static void test_compute_select__spark_version_unversioned(void **state)
{
	struct fixture *f = *state;
	cJSON *v = cJSON_Parse("{\"versions\": ["
			       "{\"key\": \"custom-scala2.12-a\"},"
			       "{\"key\": \"3.x-scala2.12\"},"
			       "{\"key\": \"custom-scala2.12-b\"}]}");
	struct tfp_spark_version_req req = {.latest = true, .scala = "2.1"};
	const char *out = NULL;

	assert_int_equal(
		tfp_compute__select_spark_version(&out, &f->d, f->a, v, &req),
		TFP_OK);
	assert_string_equal(out, "3.x-scala2.12");
	cJSON_Delete(v);
}

static void test_compute_select__spark_version_bad_input(void **state)
{
	struct fixture *f = *state;
	static const char *const bodies[] = {
		"{}",
		"{\"versions\": null}",
		"{\"versions\": {\"key\": \"15.4.x-scala2.12\"}}",
		/* One body over two lines (the parentheses say so). */
		("{\"versions\": [1, \"x\", null, {\"key\": 5}, {\"name\": "
		 "\"15.4 LTS\"}, {\"key\": \"\"}]}"),
		"[]",
	};
	struct tfp_spark_version_req req = {.latest = true, .scala = "2.1"};
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		cJSON *v = cJSON_Parse(bodies[i]);
		const char *out = NULL;

		assert_non_null(v);
		assert_int_equal(tfp_compute__select_spark_version(
					 &out, &f->d, f->a, v, &req),
				 TFP_ERROR);
		cJSON_Delete(v);
	}
	/* Versions with absurd numbers: parsed without overflow. */
	{
		cJSON *v = cJSON_Parse(
			"{\"versions\": ["
			"{\"key\": \"99999999999999999999.1.x-scala2.12\"},"
			"{\"key\": \"15.99999999999.x-scala2.12\"},"
			"{\"key\": \"15.4.x-scala2.12\"}]}");
		const char *out = NULL;

		assert_int_equal(tfp_compute__select_spark_version(
					 &out, &f->d, f->a, v, &req),
				 TFP_OK);
		assert_string_equal(out, "15.4.x-scala2.12");
		cJSON_Delete(v);
	}
}

/* --- node types ----------------------------------------------------------- */

static void test_compute_select__node_type_filters(void **state)
{
	struct fixture *f = *state;
	static const struct {
		struct tfp_node_type_req req;
		const char *want;
	} rows[] = {
		/* Hidden t3.small, unavailable c5.medium and deprecated
		 * m3.medium are smaller; m5.large beats m5a.large on the
		 * instance type id and m5d.large on disks. */
		{{0}, "m5.large"},
		{{.local_disk = true}, "m5d.large"},
		/* Among 4 cores, g4dn has GPUs and md-fleet is a fleet type;
		 * i3.xlarge has less memory than r5d.xlarge: 30 whole GB. */
		{{.min_memory_gb = 16}, "i3.xlarge"},
		{{.min_memory_gb = 31}, "r5d.xlarge"},
		{{.gb_per_core = 8}, "r5d.xlarge"},
		{{.min_cores = 3}, "i3.xlarge"},
		{{.min_cores = 5}, "m5d.2xlarge"},
		{{.min_gpus = 1}, "g4dn.xlarge"},
		{{.category = "storage OPTIMIZED"}, "i3.xlarge"},
		{{.is_io_cache_enabled = true}, "i3.xlarge"},
		{{.local_disk_min_size = 200}, "i3.xlarge"},
		/* NVMe disks count as local disks. */
		{{.fleet = true, .local_disk_min_size = 100},
		 "md-fleet.xlarge"},
		{{.graviton = true}, "m6gd.large"},
		{{.photon_worker_capable = true}, "m5d.2xlarge"},
		{{.photon_driver_capable = true}, "m5d.2xlarge"},
		{{.support_port_forwarding = true}, "m5d.2xlarge"},
		/* A node that describes no instance passes disk filters. */
		{{.local_disk_min_size = 5000}, "x1.nodisk"},
	};
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const char *got = nt(f, rows[i].req);

		if (got == NULL || strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu: got %s, want %s", i,
				 got ? got : "an error", rows[i].want);
	}
}

static void test_compute_select__node_type_no_match(void **state)
{
	struct fixture *f = *state;
	const struct tfp_node_type_req req = {
		.min_gpus = 1, .min_cores = 64, .category = "GPU Accelerated"};

	assert_null(nt(f, req));
	assert_true(diags_mention(&f->d, "No node type matches"));
	assert_true(diags_mention(&f->d, "min_cores = 64"));
	assert_true(diags_mention(&f->d, "min_gpus = 1"));
	assert_true(diags_mention(&f->d, "category = \"GPU Accelerated\""));
	/* 13 listed, 2 left out (hidden, unavailable). */
	assert_true(diags_mention(&f->d, "None of the 13 node types"));
	assert_true(diags_mention(&f->d, "11 after"));
	/* No silent fallback to a default such as i3.xlarge. */
	assert_true(diags_mention(&f->d, "official provider"));
}

/* Deprecated types still count when nothing current fits. */
static void test_compute_select__node_type_deprecated(void **state)
{
	struct fixture *f = *state;
	cJSON *v = cJSON_Parse(
		"{\"node_types\": ["
		"{\"node_type_id\": \"old.small\", \"num_cores\": 1,"
		" \"memory_mb\": 1024, \"is_deprecated\": true},"
		"{\"node_type_id\": \"new.big\", \"num_cores\": 8,"
		" \"memory_mb\": 8192}]}");
	struct tfp_node_type_req req = {0};
	const char *out = NULL;

	assert_int_equal(
		tfp_compute__select_node_type(&out, &f->d, f->a, v, &req),
		TFP_OK);
	assert_string_equal(out, "new.big");
	req.gb_per_core = 1;
	req.min_memory_gb = 1;
	req.min_cores = 1;
	assert_int_equal(
		tfp_compute__select_node_type(&out, &f->d, f->a, v, &req),
		TFP_OK);
	assert_string_equal(out, "new.big");
	req.min_cores = 0;
	req.min_memory_gb = 0;
	req.gb_per_core = 0;
	req.category = "nope";
	assert_int_equal(
		tfp_compute__select_node_type(&out, &f->d, f->a, v, &req),
		TFP_ERROR);
	cJSON_Delete(v);
}

static void test_compute_select__node_type_hidden_only(void **state)
{
	struct fixture *f = *state;
	cJSON *v = cJSON_Parse(
		"{\"node_types\": ["
		"{\"node_type_id\": \"a\", \"num_cores\": 1, \"is_hidden\": "
		"true},"
		"{\"node_type_id\": \"b\", \"num_cores\": 1, \"node_info\": "
		"{\"status\": [\"NotEnabledOnSubscription\"]}}]}");
	struct tfp_node_type_req req = {0};
	const char *out = NULL;

	assert_int_equal(
		tfp_compute__select_node_type(&out, &f->d, f->a, v, &req),
		TFP_ERROR);
	assert_true(diags_mention(&f->d, "None of the 2 node types"));
	assert_true(diags_mention(&f->d, "0 after"));
	assert_true(diags_mention(&f->d, "no arguments"));
	cJSON_Delete(v);
}

static void test_compute_select__node_type_bad_input(void **state)
{
	struct fixture *f = *state;
	static const char *const empty[] = {
		"{}",
		"{\"node_types\": []}",
		"{\"node_types\": {\"node_type_id\": \"x\"}}",
		"{\"node_types\": [1, null, \"x\", {\"node_type_id\": 7}]}",
	};
	struct tfp_node_type_req req = {.gb_per_core = 1};
	const char *out = NULL;
	cJSON *v;
	size_t i;

	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		v = cJSON_Parse(empty[i]);
		assert_non_null(v);
		assert_int_equal(tfp_compute__select_node_type(&out, &f->d,
							       f->a, v, &req),
				 TFP_ERROR);
		assert_true(diags_mention(&f->d, "lists no node types"));
		cJSON_Delete(v);
	}
	/* Wrong types, negative and huge numbers, no cores (gb_per_core
	 * must not divide by zero). */
	v = cJSON_Parse(
		"{\"node_types\": ["
		"{\"node_type_id\": \"zero\", \"num_cores\": 0,"
		" \"memory_mb\": 4096},"
		"{\"node_type_id\": \"neg\", \"num_cores\": -4,"
		" \"memory_mb\": -1, \"num_gpus\": -1},"
		"{\"node_type_id\": \"str\", \"num_cores\": \"4\","
		" \"memory_mb\": \"lots\", \"is_hidden\": \"yes\","
		" \"node_info\": {\"status\": \"NotAvailableInRegion\"},"
		" \"node_instance_type\": [1]},"
		"{\"node_type_id\": \"huge\", \"num_cores\": 1e300,"
		" \"memory_mb\": 1e300, \"num_gpus\": 0,"
		" \"node_instance_type\": {\"local_disks\": 1e300,"
		" \"local_disk_size_gb\": 1e300}}]}");
	assert_non_null(v);
	/* Nothing passes gb_per_core: no cores, or 1e12 MB over 1e12
	 * cores (clamped) is less than 1 GB per core. */
	assert_int_equal(
		tfp_compute__select_node_type(&out, &f->d, f->a, v, &req),
		TFP_ERROR);
	req.gb_per_core = 0;
	assert_int_equal(
		tfp_compute__select_node_type(&out, &f->d, f->a, v, &req),
		TFP_OK);
	assert_string_equal(out, "neg");
	req.min_cores = 1000;
	req.local_disk_min_size = 1000;
	assert_int_equal(
		tfp_compute__select_node_type(&out, &f->d, f->a, v, &req),
		TFP_OK);
	assert_string_equal(out, "huge");
	cJSON_Delete(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_compute_select__spark_version_filters, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_compute_select__spark_version_no_match, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_compute_select__spark_version_several, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_compute_select__spark_version_unversioned, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_compute_select__spark_version_bad_input, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_compute_select__node_type_filters, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_compute_select__node_type_no_match, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_compute_select__node_type_deprecated, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_compute_select__node_type_hidden_only, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_compute_select__node_type_bad_input, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
