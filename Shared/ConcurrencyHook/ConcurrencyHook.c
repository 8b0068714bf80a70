#include "ConcurrencyHook.h"

// Defined by the Swift concurrency runtime (swift/Runtime/Concurrency.h).
extern SwitchboardEnqueueHook swift_task_enqueueGlobal_hook;

void switchboard_install_enqueue_global_hook(SwitchboardEnqueueHook hook) {
    swift_task_enqueueGlobal_hook = hook;
}
