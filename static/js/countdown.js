// A phase countdown shown on the projector and phones, corrected for the device's clock.
import { say } from "./live.js";

export class Countdown {
  constructor(node, { prefix = "" } = {}) {
    this.node = node;
    this.prefix = prefix;
    this.endsAt = null;
    this.offset = 0;
    setInterval(() => this.draw(), 1000);
  }

  set(countdown) {
    if (!countdown || !countdown.ends_at) {
      this.endsAt = null;
    } else {
      this.offset = Date.parse(countdown.server_now) - Date.now();
      this.endsAt = Date.parse(countdown.ends_at);
    }
    this.draw();
  }

  draw() {
    if (this.endsAt === null) {
      this.node.hidden = true;
      return;
    }
    const left = Math.max(0, Math.round((this.endsAt - (Date.now() + this.offset)) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = String(left % 60).padStart(2, "0");
    this.node.hidden = false;
    this.node.textContent = left ? `${this.prefix}${say("timeLeft", { time: `${minutes}:${seconds}` })}` : say("timeUp");
  }
}

export function groupSummary(card) {
  return card.groups.map((group) => `${group.name} ${group.counted ? `${group.share}%` : say("tooFewVotes")}`).join(" · ");
}
