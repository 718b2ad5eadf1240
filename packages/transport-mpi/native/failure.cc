#include "failure.h"

namespace syncopate {

std::string MpiErrorText(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  if (MPI_Error_string(code, text, &length) != MPI_SUCCESS) return "unknown MPI error " + std::to_string(code);
  return std::string(text, static_cast<size_t>(length));
}

Failure PlainFailure(std::string code, std::string operation, std::string message) {
  Failure failure;
  failure.code = std::move(code);
  failure.operation = std::move(operation);
  failure.message = std::move(message);
  return failure;
}

Failure MpiFailure(const std::string& operation, const char* call, int code) {
  Failure failure;
  failure.code = "MPI";
  failure.operation = operation;
  int errorClass = code;
  MPI_Error_class(code, &errorClass);
  failure.mpiErrorClass = errorClass;
  failure.message = operation + ": " + call + " failed: " + MpiErrorText(code);
  return failure;
}

Napi::Error ToJsError(Napi::Env env, const Failure& failure) {
  Napi::Error error = Napi::Error::New(env, failure.message);
  Napi::Object object = error.Value();
  object.Set("code", failure.code);
  object.Set("operation", failure.operation);
  if (failure.code == "MPI") object.Set("mpiErrorClass", failure.mpiErrorClass);
  if (!failure.lengths.empty()) {
    Napi::Array lengths = Napi::Array::New(env, failure.lengths.size());
    for (size_t i = 0; i < failure.lengths.size(); ++i) lengths.Set(i, static_cast<double>(failure.lengths[i]));
    object.Set("lengths", lengths);
  }
  if (!failure.ranks.empty()) {
    Napi::Array ranks = Napi::Array::New(env, failure.ranks.size());
    for (size_t i = 0; i < failure.ranks.size(); ++i) ranks.Set(i, failure.ranks[i]);
    object.Set("ranks", ranks);
  }
  if (!failure.signatures.empty()) {
    Napi::Array signatures = Napi::Array::New(env, failure.signatures.size());
    for (size_t i = 0; i < failure.signatures.size(); ++i) signatures.Set(i, failure.signatures[i]);
    object.Set("signatures", signatures);
  }
  return error;
}

}  // namespace syncopate
