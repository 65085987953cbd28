export * from '../../scripts/local-stack/databases';
