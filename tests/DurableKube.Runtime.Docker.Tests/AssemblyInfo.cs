// Every test class talks to the one Docker engine of the machine, whose container names are global: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
