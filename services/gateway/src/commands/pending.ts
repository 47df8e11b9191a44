// Reservations this gateway appended that the balances projection has not applied yet. Without
// them, a burst of orders placed faster than the projector runs would each see the same free
// balance and together overspend it. An entry is dropped once the user's balances version passes
// its sequence (the projector has applied it).
export interface PendingReservation {
  seq: number;
  asset: string;
  amount: string;
}

export class PendingReservations {
  private readonly byUser = new Map<string, PendingReservation[]>();

  add(userId: string, reservation: PendingReservation): void {
    const list = this.byUser.get(userId) ?? [];
    list.push(reservation);
    this.byUser.set(userId, list);
  }

  /** What is still unprojected for a user whose balances read model is at `projectedVersion`. */
  outstanding(userId: string, projectedVersion: number): PendingReservation[] {
    const list = (this.byUser.get(userId) ?? []).filter((r) => r.seq > projectedVersion);
    if (list.length === 0) this.byUser.delete(userId);
    else this.byUser.set(userId, list);
    return list;
  }
}
