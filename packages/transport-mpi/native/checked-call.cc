#include "checked-call.h"

#include <chrono>

namespace syncopate {

// Starts the data movement: blocking calls finish here, non-blocking ones post a request.
bool CheckedCall::StartMoving(MPI_Comm comm) {
  step_ = Step::kMoving;
  if (!nonblocking_) {
    Move(comm);
    step_ = Step::kDone;
    return true;
  }
  int rc = StartMove(comm, &request_);
  if (rc == MPI_SUCCESS) return false;
  Fail("starting the non-blocking call", rc);
  step_ = Step::kDone;
  return true;
}

bool CheckedCall::Advance(MPI_Comm comm, bool wait) {
  for (;;) {
    if (step_ == Step::kChecking || step_ == Step::kExplaining || step_ == Step::kMoving) {
      int done = 0;
      int rc = wait ? MPI_Wait(&request_, MPI_STATUS_IGNORE) : MPI_Test(&request_, &done, MPI_STATUS_IGNORE);
      if (rc != MPI_SUCCESS) {
        Fail(step_ == Step::kMoving ? "MPI_Wait" : "MPI_Wait (signature check)", rc);
        step_ = Step::kDone;
        return true;
      }
      if (!wait && !done) return false;
    }
    Failure failure;
    switch (step_) {
      case Step::kStart:
        if (!checks_) {
          if (StartMoving(comm)) return true;
          continue;
        }
        if (!check_.Start(comm, &request_, &failure)) {
          failure_ = std::move(failure);
          step_ = Step::kDone;
          return true;
        }
        step_ = Step::kChecking;
        continue;
      case Step::kChecking:
        if (check_.Agreed(comm, &request_, &failure)) {
          if (check_.Folds()) {
            step_ = Step::kDone;
            return true;
          }
          if (StartMoving(comm)) return true;
          continue;
        }
        if (!failure.code.empty()) {
          failure_ = std::move(failure);
          step_ = Step::kDone;
          return true;
        }
        step_ = Step::kExplaining;
        continue;
      case Step::kExplaining:
        check_.Explain(&failure);
        failure_ = std::move(failure);
        step_ = Step::kDone;
        return true;
      case Step::kMoving:
      case Step::kDone:
        step_ = Step::kDone;
        return true;
    }
  }
}

void CheckedCall::Run(MPI_Comm comm) { Advance(comm, true); }

bool CheckedCall::RunBriefly(MPI_Comm comm, int micros) {
  auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(micros);
  for (;;) {
    if (Advance(comm, false)) return true;
    if (std::chrono::steady_clock::now() >= until) return false;
  }
}

bool CheckedCall::Fail(const char* call, int code) {
  failure_ = MpiFailure(operation_, call, code);
  return false;
}

}  // namespace syncopate
