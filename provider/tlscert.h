/*
 * A fresh self-signed certificate for go-plugin's AutoMTLS.
 *
 * go-plugin's client pins exactly one certificate: the one the plugin puts,
 * base64-encoded, in the last field of its handshake line. Nothing is
 * stored on disk and nothing is reused between processes. The template is
 * go-plugin's own (mtls.go): CN and SAN "localhost" (Go rejects a name
 * only in the CN), CA:TRUE, digitalSignature, keyEncipherment,
 * keyAgreement and keyCertSign, serverAuth and clientAuth, valid from 30 s
 * ago for about 30 years. The same template serves as a client certificate,
 * which is how the protocol tests play Terraform.
 */
#ifndef TFP_TLSCERT_H
#define TFP_TLSCERT_H

#include "common.h"

struct tfp_tlscert {
	char *cert_pem; /* "-----BEGIN CERTIFICATE-----..." */
	char *key_pem;	/* PKCS#8 "-----BEGIN PRIVATE KEY-----..." */
	/* base64 of the certificate's DER without '=' padding or newlines
	 * (Go's base64.RawStdEncoding): the handshake line's cert field. */
	char *cert_b64;
};

#define TFP_TLSCERT_INIT                                                       \
	{                                                                      \
		NULL, NULL, NULL                                               \
	}

/**
 * Generates a key on the named curve ("P-256", "P-384" or "P-521") and a
 * self-signed certificate for it with subject O=<organization>,
 * CN=localhost. Fills out with malloc'd strings that the caller releases
 * with tfp_tlscert_dispose(). Returns TFP_OK, or TFP_ERROR after logging
 * the OpenSSL error; out is then left empty.
 */
int tfp_tlscert_generate(struct tfp_tlscert *out, const char *organization,
			 const char *curve);

/** Frees the strings (the key is wiped first) and empties c. */
void tfp_tlscert_dispose(struct tfp_tlscert *c);

#endif
