import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { OutcropMetrics } from './metrics.js';

/** The path Prometheus scrapes. No Bedrock operation has it. */
export const metricsPath = '/metrics';

/**
 * Answers `GET /metrics` with the registry in Prometheus text format (other methods get 405).
 *
 * @example
 * if (rawPath === metricsPath) return serveMetrics(req, res, metrics, requestId);
 */
export async function serveMetrics(req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse, metrics: OutcropMetrics, requestId: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8', 'x-amzn-requestid': requestId });
    res.end('Method not allowed\n');
    return;
  }
  const body = await metrics.registry.metrics();
  res.writeHead(200, { 'content-type': metrics.registry.contentType, 'x-amzn-requestid': requestId });
  res.end(req.method === 'HEAD' ? '' : body);
}
