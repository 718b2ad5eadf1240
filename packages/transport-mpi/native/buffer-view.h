// The memory behind a JS typed array or DataView, and the MPI datatype of its elements.
#pragma once

#include <mpi.h>
#include <napi.h>

#include <cstddef>
#include <string>

namespace syncopate {

// Element types the binding reduces. Bytes covers every other view (moved, never reduced).
enum class ElementType { kBytes = 0, kInt32 = 1, kFloat32 = 2, kFloat64 = 3 };

struct BufferView {
  void* data = nullptr;
  size_t byteLength = 0;
  size_t length = 0;  // elements of `type`
  ElementType type = ElementType::kBytes;
};

inline const char* ElementTypeName(int type) {
  switch (static_cast<ElementType>(type)) {
    case ElementType::kInt32: return "int32";
    case ElementType::kFloat32: return "float32";
    case ElementType::kFloat64: return "float64";
    default: return "bytes";
  }
}

inline MPI_Datatype MpiType(ElementType type) {
  switch (type) {
    case ElementType::kInt32: return MPI_INT;
    case ElementType::kFloat32: return MPI_FLOAT;
    case ElementType::kFloat64: return MPI_DOUBLE;
    default: return MPI_BYTE;
  }
}

// Any ArrayBufferView; throws a TypeError naming `what` otherwise.
inline BufferView ViewOf(Napi::Env env, Napi::Value value, const char* what) {
  BufferView view;
  if (value.IsTypedArray()) {
    Napi::TypedArray array = value.As<Napi::TypedArray>();
    Napi::ArrayBuffer buffer = array.ArrayBuffer();
    view.data = static_cast<char*>(buffer.Data()) + array.ByteOffset();
    view.byteLength = array.ByteLength();
    view.length = array.ElementLength();
    switch (array.TypedArrayType()) {
      case napi_int32_array: view.type = ElementType::kInt32; break;
      case napi_float32_array: view.type = ElementType::kFloat32; break;
      case napi_float64_array: view.type = ElementType::kFloat64; break;
      default: view.type = ElementType::kBytes; view.length = view.byteLength; break;
    }
    return view;
  }
  if (value.IsDataView()) {
    Napi::DataView dataView = value.As<Napi::DataView>();
    view.data = static_cast<char*>(dataView.ArrayBuffer().Data()) + dataView.ByteOffset();
    view.byteLength = dataView.ByteLength();
    view.length = view.byteLength;
    return view;
  }
  throw Napi::TypeError::New(env, std::string(what) + " must be a typed array or DataView");
}

}  // namespace syncopate
