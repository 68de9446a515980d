#include "fuzz/serve/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <stdexcept>

namespace tcpfuzz::serve {

void Sha256::Free::operator()(evp_md_ctx_st* ctx) const {
  EVP_MD_CTX_free(ctx);
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP_DigestInit_ex(SHA-256) failed");
  }
}

Sha256::~Sha256() = default;
Sha256::Sha256(Sha256&&) noexcept = default;
Sha256& Sha256::operator=(Sha256&&) noexcept = default;

void Sha256::update(std::span<const uint8_t> bytes) {
  EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size());
}

std::string Sha256::hex_digest() const {
  // Finalising consumes a context: digest a copy so updates may continue.
  std::unique_ptr<evp_md_ctx_st, Free> copy(EVP_MD_CTX_new());
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (!copy || EVP_MD_CTX_copy_ex(copy.get(), ctx_.get()) != 1 ||
      EVP_DigestFinal_ex(copy.get(), digest, &length) != 1) {
    throw std::runtime_error("EVP_DigestFinal_ex(SHA-256) failed");
  }
  std::string hex(size_t{2} * length, '0');
  for (size_t i = 0; i < length; ++i) {
    std::snprintf(&hex[2 * i], 3, "%02x", digest[i]);
  }
  return hex;
}

}  // namespace tcpfuzz::serve
