import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from './ui';

interface Props {
  title: string;
  /** Fetches again; the boundary resets once it has been asked to retry. */
  onRetry(): void;
  children: ReactNode;
}

/**
 * One chart's error boundary: a chart that fails to load or to draw shows "Failed to load chart"
 * with a Retry, and the charts beside it keep standing.
 */
export class ChartBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn(`chart "${this.props.title}" failed`, error, info.componentStack);
  }

  retry = () => {
    this.setState({ error: null });
    this.props.onRetry();
  };

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="chart-fallback" role="alert">
        <p>
          <strong>Failed to load chart</strong>
          <br />
          <span className="muted">{this.state.error.message}</span>
        </p>
        <Button onClick={this.retry}>Retry</Button>
      </div>
    );
  }
}
