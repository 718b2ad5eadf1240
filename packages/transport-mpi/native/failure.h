// Why a native call failed, carried from an MPI thread to the JS thread and turned into a
// JS Error there. The TypeScript layer maps `code` to Syncopate's typed errors.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <optional>
#include <string>
#include <vector>

namespace syncopate {

struct Failure {
  // "MPI"            an MPI call returned an error code (mpiErrorClass is set)
  // "LENGTH_MISMATCH" ranks passed buffers of different lengths (lengths[r] per rank)
  // "SIGNATURE"      ranks called different collectives, element types or ops (signatures[r])
  // "CANCELLED"      a receive was withdrawn before a message matched it
  // "INVALID"        the arguments cannot be passed to MPI (too long, bad rank)
  std::string code;
  std::string operation;
  std::string message;
  int mpiErrorClass = 0;
  // For LENGTH_MISMATCH: the length each rank passed; for a receive, [mine, sender's] with
  // ranks [self, source].
  std::vector<long long> lengths;
  std::vector<int> ranks;
  std::vector<std::string> signatures;
};

// A Failure that is not an MPI error code: CANCELLED, INVALID.
Failure PlainFailure(std::string code, std::string operation, std::string message);

// MPI's own text for an error code ("MPI_ERR_TRUNCATE: message truncated").
std::string MpiErrorText(int code);

// A Failure for an MPI error code returned by `call` inside `operation`.
Failure MpiFailure(const std::string& operation, const char* call, int code);

// The JS Error for a Failure: message plus `code`, `operation`, `mpiErrorClass`, `lengths`,
// `ranks` and `signatures` properties.
Napi::Error ToJsError(Napi::Env env, const Failure& failure);

}  // namespace syncopate
