/*
 * Self-signed ECDSA certificates with OpenSSL 3 (c-libraries.md §6).
 *
 * Only non-deprecated OpenSSL 3 calls are used. The extensions are added
 * through X509V3_EXT_conf_nid with the same text openssl.cnf would take,
 * which is the shortest correct way to get their DER right. OpenSSL's error
 * queue is drained into the log on failure and cleared, so a later TLS
 * handshake in the same thread does not see stale errors.
 */
#include "tlscert.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* go-plugin's NotAfter is now + 262980 h: 10957 days and 12 hours. */
#define TLSCERT_DAYS	      10957
#define TLSCERT_EXTRA_SECONDS (12 * 3600)

static int tlscert_fail(const char *what)
{
	char buf[256];
	unsigned long e;

	e = ERR_get_error();
	if (e != 0)
		ERR_error_string_n(e, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "no OpenSSL error");
	tfp_log(TFP_LOG_ERROR, "sdk", "certificate generation: %s: %s", what,
		buf);
	ERR_clear_error();
	return TFP_ERROR;
}

static int add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	if (ext == NULL)
		return tlscert_fail(value);
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok ? TFP_OK : tlscert_fail("X509_add_ext");
}

/* Reads everything written to a memory BIO as a NUL-terminated string. */
static char *bio_to_string(BIO *bio)
{
	char *data = NULL, *s;
	long len = BIO_get_mem_data(bio, &data);

	if (len < 0)
		return NULL;
	s = tfp_xmalloc((size_t)len + 1);
	memcpy(s, data, (size_t)len);
	s[len] = '\0';
	return s;
}

/* Go's base64.RawStdEncoding: standard alphabet, no padding, one line. */
static char *der_to_raw_b64(const unsigned char *der, int der_len)
{
	size_t cap = 4 * (((size_t)der_len + 2) / 3) + 1, n;
	char *b64 = tfp_xmalloc(cap);

	EVP_EncodeBlock((unsigned char *)b64, der, der_len);
	n = strlen(b64);
	while (n > 0 && b64[n - 1] == '=')
		b64[--n] = '\0';
	return b64;
}

static int set_random_serial(X509 *cert)
{
	unsigned char bytes[16];
	BIGNUM *bn = NULL;
	int error = TFP_ERROR;

	/* 128 random bits like go-plugin; zero is not a valid serial. */
	do {
		if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
			tlscert_fail("RAND_bytes");
			goto done;
		}
		BN_free(bn);
		bn = BN_bin2bn(bytes, sizeof(bytes), NULL);
		if (bn == NULL) {
			tlscert_fail("BN_bin2bn");
			goto done;
		}
	} while (BN_is_zero(bn));
	if (BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) == NULL) {
		tlscert_fail("BN_to_ASN1_INTEGER");
		goto done;
	}
	error = TFP_OK;
done:
	BN_free(bn);
	return error;
}

int tfp_tlscert_generate(struct tfp_tlscert *out, const char *organization,
			 const char *curve)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL;
	X509_NAME *name;
	BIO *cert_bio = NULL, *key_bio = NULL;
	unsigned char *der = NULL;
	int der_len, error = TFP_ERROR;

	memset(out, 0, sizeof(*out));

	key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
	if (key == NULL) {
		tlscert_fail("EVP_PKEY_Q_keygen");
		goto done;
	}
	cert = X509_new();
	if (cert == NULL || X509_set_version(cert, X509_VERSION_3) != 1) {
		tlscert_fail("X509_new");
		goto done;
	}
	if (set_random_serial(cert) < 0)
		goto done;
	/* 30 s of slack for clock differences, as go-plugin does. */
	if (X509_gmtime_adj(X509_getm_notBefore(cert), -30) == NULL ||
	    X509_time_adj_ex(X509_getm_notAfter(cert), TLSCERT_DAYS,
			     TLSCERT_EXTRA_SECONDS, NULL) == NULL) {
		tlscert_fail("validity");
		goto done;
	}
	if (X509_set_pubkey(cert, key) != 1) {
		tlscert_fail("X509_set_pubkey");
		goto done;
	}

	name = X509_get_subject_name(cert);
	if (X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
				       (const unsigned char *)organization, -1,
				       -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
				       (const unsigned char *)"localhost", -1,
				       -1, 0) != 1 ||
	    X509_set_issuer_name(cert, name) != 1) {
		tlscert_fail("subject");
		goto done;
	}

	/* The certificate is its own CA: the peer uses it as the only root. */
	if (add_ext(cert, NID_basic_constraints, "critical,CA:TRUE") < 0 ||
	    add_ext(cert, NID_key_usage,
		    "critical,digitalSignature,keyEncipherment,"
		    "keyAgreement,keyCertSign") < 0 ||
	    add_ext(cert, NID_ext_key_usage, "clientAuth,serverAuth") < 0 ||
	    add_ext(cert, NID_subject_key_identifier, "hash") < 0 ||
	    add_ext(cert, NID_subject_alt_name, "DNS:localhost") < 0)
		goto done;

	if (X509_sign(cert, key, EVP_sha256()) == 0) {
		tlscert_fail("X509_sign");
		goto done;
	}

	cert_bio = BIO_new(BIO_s_mem());
	key_bio = BIO_new(BIO_s_mem());
	if (cert_bio == NULL || key_bio == NULL ||
	    PEM_write_bio_X509(cert_bio, cert) != 1 ||
	    PEM_write_bio_PrivateKey(key_bio, key, NULL, NULL, 0, NULL, NULL) !=
		    1) {
		tlscert_fail("PEM encoding");
		goto done;
	}
	der_len = i2d_X509(cert, &der);
	if (der_len <= 0) {
		tlscert_fail("i2d_X509");
		goto done;
	}

	out->cert_pem = bio_to_string(cert_bio);
	out->key_pem = bio_to_string(key_bio);
	out->cert_b64 = der_to_raw_b64(der, der_len);
	if (out->cert_pem == NULL || out->key_pem == NULL) {
		tlscert_fail("BIO_get_mem_data");
		tfp_tlscert_dispose(out);
		goto done;
	}
	error = TFP_OK;

done:
	OPENSSL_free(der);
	/* The key PEM passed through this BIO: wipe it before freeing. */
	BIO_free_all(cert_bio);
	if (key_bio != NULL) {
		char *data = NULL;
		long len = BIO_get_mem_data(key_bio, &data);

		if (len > 0)
			OPENSSL_cleanse(data, (size_t)len);
		BIO_free_all(key_bio);
	}
	X509_free(cert);
	EVP_PKEY_free(key);
	return error;
}

void tfp_tlscert_dispose(struct tfp_tlscert *c)
{
	if (c->key_pem != NULL)
		OPENSSL_cleanse(c->key_pem, strlen(c->key_pem));
	free(c->cert_pem);
	free(c->key_pem);
	free(c->cert_b64);
	memset(c, 0, sizeof(*c));
}
