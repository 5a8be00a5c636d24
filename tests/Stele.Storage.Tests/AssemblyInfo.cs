// The large-object tests measure process-wide allocations; other tests running at the same
// time would pollute that figure, so this assembly runs its tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
