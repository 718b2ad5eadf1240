# Build of the Open MPI binding. Run by the package's `install` script (`node-gyp rebuild
# --nodedir=/usr`), so `npm ci` at the repository root builds it; output in build/Release.
# Open MPI's flags come from pkg-config (`ompi-c`, shipped by Debian's libopenmpi-dev).
{
  "targets": [
    {
      "target_name": "syncopate_mpi",
      "sources": [
        "native/addon.cc",
        "native/addon-arguments.cc",
        "native/addon-collectives.cc",
        "native/addon-messages.cc",
        "native/checked-call.cc",
        "native/collective-jobs.cc",
        "native/failure.cc",
        "native/lane.cc",
        "native/progress-engine.cc",
        "native/ring-allreduce.cc",
        "native/signature-check.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(pkg-config --cflags-only-I ompi-c | sed 's/-I//g')"
      ],
      "libraries": [
        "<!@(pkg-config --libs ompi-c)"
      ],
      "defines": [
        "OMPI_SKIP_MPICXX=1",
        "MPICH_SKIP_MPICXX=1",
        "NAPI_VERSION=8",
        "NAPI_CPP_EXCEPTIONS",
        "NODE_ADDON_API_DISABLE_DEPRECATED"
      ],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"]
    }
  ]
}
