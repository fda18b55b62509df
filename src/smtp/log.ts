/** JSON lines like the HTTP and mail logs. Fields are ids, counts and SMTP codes only: no address, no content. */
export interface GatewayLog {
  info(message: string, fields: Record<string, string | number>): void;
  warn(message: string, fields: Record<string, string | number>): void;
}

const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export function gatewayLog(level: string): GatewayLog {
  const threshold = Math.max(0, levels.indexOf(level));
  const write = (name: string, message: string, fields: Record<string, string | number>) => {
    if (levels.indexOf(name) < threshold) return;
    process.stdout.write(
      `${JSON.stringify({ level: name, time: Date.now(), component: 'smtp', msg: message, ...fields })}\n`,
    );
  };
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
  };
}
