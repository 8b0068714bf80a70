#pragma once

/// Swift concurrency's global-enqueue hook, set by assignment rather than found with `dlsym` as NIO does: release
/// builds link the Swift runtime statically, which keeps its symbols out of the dynamic symbol table `dlsym` reads.
typedef void (*SwitchboardEnqueueOriginal)(void *_Nonnull job);
typedef void (*SwitchboardEnqueueHook)(void *_Nonnull job, SwitchboardEnqueueOriginal _Nonnull original);

/// Installs `hook` for every task enqueued on the global executor from now on.
void switchboard_install_enqueue_global_hook(SwitchboardEnqueueHook _Nonnull hook);
