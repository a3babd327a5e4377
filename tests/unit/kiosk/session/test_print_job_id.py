"""The SubmitPrint effect names the print job the save queued: the first print and every retry carry
the job id storage returned with ApplicationSaved, so the effect runner prints by job id (it keeps no
application -> job map of its own)."""

from __future__ import annotations

from kiosk.session import ApplicationSaved, PrintFailed, RetryPrint, Step, SubmitPrint

RECEIPT = "500151-20261121-K01-0001"
LICENCE = "铜卫公证字〔2026〕第000001号"


def test_the_first_print_and_the_retry_carry_the_saved_job_id(kiosk):
    kiosk.to(Step.SAVING)
    [printed, *_] = kiosk.send(ApplicationSaved("app-1", RECEIPT, LICENCE, print_job_id=41))
    assert printed == SubmitPrint("app-1", RECEIPT, LICENCE, "approved", attempt=1, job_id=41)
    assert kiosk.state.saved.print_job_id == 41

    kiosk.send(PrintFailed("paper_out", "paper end", "41"))
    [retried, *_] = kiosk.send(RetryPrint())
    assert retried.job_id == 41 and retried.attempt == 2
