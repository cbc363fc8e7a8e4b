//! The warehouse-execution vocabulary the console and the server share: how a wave is picked and
//! where it stands, what kind of packaging an entry is, and where a cycle count is.

contract_enum! {
    /// How a wave is picked.
    WaveKind {
        /// One pick list per shipment ("pick by order").
        Discrete = "DISCRETE",
        /// One consolidated list for the wave, then a put-wall sort into one slot per shipment.
        Batch = "BATCH",
    }
}

contract_enum! {
    /// Where a wave stands.
    WaveStatus {
        /// Created; nothing picked yet.
        Released = "RELEASED",
        /// At least one unit picked.
        Picking = "PICKING",
        /// Batch waves: everything picked, being sorted into the put wall.
        Sorting = "SORTING",
        /// Everything picked (and sorted): ready to pack.
        Ready = "READY",
        /// Cancelled before anything was picked; its shipments went back to the pool.
        Cancelled = "CANCELLED",
    }
}

contract_enum! {
    /// What a packaging catalogue entry is.
    PackagingKind {
        /// A rigid box: the only container for fragile items.
        Carton = "CARTON",
        /// A padded or plain bag for sturdy items.
        MailerBag = "MAILER_BAG",
        /// A sealed bag around each liquid unit, inside the container.
        SealedBag = "SEALED_BAG",
        /// Bubble wrap around each fragile unit, inside the carton.
        BubbleWrap = "BUBBLE_WRAP",
    }
}

contract_enum! {
    /// Where a cycle count stands.
    CycleCountStatus {
        /// Waiting for someone to count the bin.
        Open = "OPEN",
        /// Counted; the difference went into the ledger and the bin is unblocked.
        Counted = "COUNTED",
    }
}
