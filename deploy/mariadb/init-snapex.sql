-- First start of the compose stack's MariaDB (docker-entrypoint-initdb.d): a small "shop" database
-- for MySQL/MariaDB sources. MARIADB_USER (snapex_reader) already has every privilege on it.
USE shop;

CREATE TABLE customers (
  id        BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  email     VARCHAR(255) NOT NULL UNIQUE,
  full_name VARCHAR(255) NOT NULL,
  country   CHAR(2),
  signed_up DATETIME(6) NOT NULL,
  prefs     JSON
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

CREATE TABLE orders (
  id          BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  customer_id BIGINT UNSIGNED NOT NULL,
  amount      DECIMAL(12, 2) NOT NULL,
  status      ENUM('pending', 'paid', 'shipped', 'cancelled') NOT NULL,
  ordered_at  TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
  note        TEXT,
  CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

INSERT INTO customers (email, full_name, country, signed_up, prefs)
SELECT CONCAT('customer', seq, '@example.com'),
       CONCAT('Customer ', seq),
       ELT(1 + seq % 5, 'US', 'DE', 'FR', 'JP', NULL),
       TIMESTAMP('2024-01-01') + INTERVAL seq * 37 MINUTE,
       IF(seq % 4 = 0, NULL, JSON_OBJECT('newsletter', seq % 2 = 0))
  FROM seq_1_to_2000;

INSERT INTO orders (customer_id, amount, status, ordered_at, note)
SELECT 1 + seq % 2000,
       ROUND(1 + (seq * 7919 % 50000) / 100, 2),
       ELT(1 + seq % 4, 'pending', 'paid', 'shipped', 'cancelled'),
       TIMESTAMP('2024-06-01') + INTERVAL seq * 11 SECOND,
       IF(seq % 50 = 0, 'gift wrap', NULL)
  FROM seq_1_to_20000;
